using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;

namespace SessionsServerless.Lambda;

/// <summary>
/// The client certificate of an API Gateway mutual TLS connection (<c>clientCert.clientCertPem</c>). API Gateway checked
/// it against the domain's truststore before invoking; it is parsed on first use, and a PEM that does not parse gives none.
/// </summary>
internal sealed class LambdaTlsConnectionFeature(string pem) : ITlsConnectionFeature
{
    private X509Certificate2? _certificate;
    private bool _parsed;

    public X509Certificate2? ClientCertificate
    {
        get
        {
            if (!_parsed)
            {
                _parsed = true;
                try
                {
                    _certificate = X509Certificate2.CreateFromPem(pem);
                }
                catch (CryptographicException)
                {
                    _certificate = null;
                }
            }

            return _certificate;
        }
        set
        {
            _parsed = true;
            _certificate = value;
        }
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

}
