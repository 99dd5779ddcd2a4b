namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>TimerInfo.ScheduleStatus: the last and next occurrences and when the status was last updated.</summary>
internal sealed record TimerScheduleStatusJson(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
