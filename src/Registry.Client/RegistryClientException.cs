using Registry.Core;

namespace Registry.Client;

/// <summary>
/// Every failure the SDK reports: an RFC 9457 problem from svc-registry (its stable <see cref="Code"/>,
/// HTTP status and <c>corr_id</c>), or a client-side failure with one of the codes in
/// <see cref="RegistryClientErrorCodes"/> (unreachable, unexpected response, proposal id mismatch, diverged chain).
/// </summary>
/// <remarks>Thread-safe (immutable).</remarks>
public sealed class RegistryClientException : Exception
{
    /// <summary>Creates an error with code <see cref="RegistryClientErrorCodes.InvalidResponse"/>.</summary>
    public RegistryClientException()
        : this(RegistryClientErrorCodes.InvalidResponse, "The registry client failed.")
    {
    }

    /// <summary>Creates an error with code <see cref="RegistryClientErrorCodes.InvalidResponse"/> and a message.</summary>
    public RegistryClientException(string message)
        : this(RegistryClientErrorCodes.InvalidResponse, message)
    {
    }

    /// <summary>Creates an error with code <see cref="RegistryClientErrorCodes.InvalidResponse"/>, a message and a cause.</summary>
    public RegistryClientException(string message, Exception? innerException)
        : this(RegistryClientErrorCodes.InvalidResponse, message, innerException: innerException)
    {
    }

    /// <summary>Creates an error with a code.</summary>
    public RegistryClientException(string code, string message, int? statusCode = null, string? correlationId = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(code);
        Code = code;
        StatusCode = statusCode;
        CorrelationId = correlationId;
        RetryAfter = retryAfter;
    }

    /// <summary>The ProblemDetails <c>code</c> (e.g. <c>NotFound</c>, <c>ChainMismatch</c>) or a client-side code.</summary>
    public string Code { get; }

    /// <summary>The code as a <see cref="RegistryErrorCode"/> when it is one of the service's, else null.</summary>
    public RegistryErrorCode? ErrorCode => Enum.TryParse<RegistryErrorCode>(Code, ignoreCase: false, out var code) && Enum.IsDefined(code) ? code : null;

    /// <summary>The HTTP status, or null when no response was received.</summary>
    public int? StatusCode { get; }

    /// <summary>The request's <c>corr_id</c> (from the problem body or the <c>X-Corr-ID</c> header).</summary>
    public string? CorrelationId { get; }

    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// True when retrying later may succeed: the service is unreachable, not ready, read-only or busy,
    /// or a stream subscriber lagged.
    /// </summary>
    public bool IsTransient => Code is RegistryClientErrorCodes.Unreachable or RegistryClientErrorCodes.Lagged
        or nameof(RegistryErrorCode.NotReady) or nameof(RegistryErrorCode.ReadOnly) or nameof(RegistryErrorCode.Busy);
}
