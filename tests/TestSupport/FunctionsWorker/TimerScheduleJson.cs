namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>TimerInfo.Schedule as the host serialises it.</summary>
internal sealed record TimerScheduleJson(bool AdjustForDST);
