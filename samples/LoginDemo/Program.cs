using LoginDemo;

var app = LoginDemoApp.Build(args);
app.Run();
