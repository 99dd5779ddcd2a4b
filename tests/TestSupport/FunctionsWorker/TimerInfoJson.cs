namespace SessionsServerless.TestSupport.FunctionsWorker;

/// <summary>The TimerInfo the host binds to a timer trigger, as JSON: its schedule, the schedule's status and whether it is past due.</summary>
internal sealed record TimerInfoJson(TimerScheduleJson Schedule, TimerScheduleStatusJson ScheduleStatus, bool IsPastDue);
