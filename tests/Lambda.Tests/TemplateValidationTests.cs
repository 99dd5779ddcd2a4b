using System.Diagnostics;
using SessionsServerless.Lambda.Tests.Support;

namespace SessionsServerless.Lambda.Tests;

/// <summary>
/// template.yaml passes eng/validate-template.mjs (the CloudFormation and SAM resource specification of the pinned npm
/// package @aws-cdk/aws-service-spec), and a deliberately broken copy fails it on every planted mistake.
/// </summary>
public sealed class TemplateValidationTests
{
    [Fact]
    public async Task The_SAM_template_at_the_repository_root_passes_the_specification_check()
    {
        var (exitCode, output) = await ValidateAsync(Path.Combine(RepositoryPaths.Root, "template.yaml"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("template OK (6 resources checked", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_copy_of_the_template_fails_on_every_planted_mistake()
    {
        var (exitCode, output) = await ValidateAsync(RepositoryPaths.TestFile(Path.Combine("Templates", "broken-template.yaml")));

        Assert.Equal(1, exitCode);
        Assert.Contains("9 problem(s)", output, StringComparison.Ordinal);
        Assert.Contains("unknown resource type 'AWS::DynamoDB::Tabel' (did you mean 'AWS::DynamoDB::Table'?)", output, StringComparison.Ordinal);
        Assert.Contains("LoginDemoFunction.Properties.MemorySise: unknown property 'MemorySise' (did you mean 'MemorySize'?)", output, StringComparison.Ordinal);
        Assert.Contains("TimeToLiveSpecification.AtributeName: unknown property", output, StringComparison.Ordinal);
        Assert.Contains("Events.CatchAll.Properties.Pth: unknown property 'Pth' (did you mean 'Path'?)", output, StringComparison.Ordinal);
        Assert.Contains("'dotnet11' is not a Lambda runtime", output, StringComparison.Ordinal);
        Assert.Contains("Ref to 'EncryptionKeyy'", output, StringComparison.Ordinal);
        Assert.Contains("AWS::DynamoDB::Table has no attribute 'Arnn'", output, StringComparison.Ordinal);
        Assert.Contains("Ref to 'LoginApi'", output, StringComparison.Ordinal);
        Assert.Contains("Fn::GetAtt on 'MissingTable', which is not a resource", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_in_an_environment_variable_fails_the_check()
    {
        var (exitCode, output) = await ValidateAsync(RepositoryPaths.TestFile(Path.Combine("Templates", "secret-in-environment.yaml")));

        Assert.Equal(1, exitCode);
        Assert.Contains("3 problem(s)", output, StringComparison.Ordinal);
        Assert.Contains("Sessions__EncryptionKey: the NoEcho parameter 'EncryptionKey' in an environment variable is stored in the function's configuration in clear", output, StringComparison.Ordinal);
        Assert.Contains("Sessions__PreviousEncryptionKeys__0: a secretsmanager dynamic reference in an environment variable", output, StringComparison.Ordinal);
        Assert.Contains("Fn::If on condition 'HasSecretArnn', which is not declared (did you mean 'HasSecretArn'?)", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string template)
    {
        Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, "node_modules", "@aws-cdk", "aws-service-spec")),
            "The npm package @aws-cdk/aws-service-spec is not installed. Run `npm ci` in the repository root (bash eng/test.sh does it).");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine("eng", "validate-template.mjs"));
        info.ArgumentList.Add(template);
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (node.ExitCode, await output + await errors);
    }
}
