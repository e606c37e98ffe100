namespace Registry.Api.HighAvailability;

/// <summary>An event of the etcd log was refused (verification), or the write plane stopped: the node stops following.</summary>
internal sealed class FollowHaltException(string message) : Exception(message);
