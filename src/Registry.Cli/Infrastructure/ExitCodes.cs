using Registry.Client;
using Registry.Core;

namespace Registry.Cli.Infrastructure;

/// <summary>ronctl's documented exit codes (docs/CLI.md, <c>ronctl --help</c>).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Anything not covered below.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or bad input file (including a 400 Malformed from the service).</summary>
    public const int Usage = 2;

    /// <summary>The version, descriptor, proposal or endpoint does not exist (404).</summary>
    public const int NotFound = 3;

    /// <summary>The service refused the change: 409 ChainMismatch/ScopeConflict/SignerSetChanged/DuplicateApproval, 410 ProposalExpired, 422 rejections.</summary>
    public const int Conflict = 4;

    /// <summary>401 Unauthorized / 403 Forbidden.</summary>
    public const int Auth = 5;

    /// <summary>Connection refused or timed out, 503 NotReady/ReadOnly, 429 Busy after retries.</summary>
    public const int Unreachable = 6;

    /// <summary>Verification failed: a bad digest, signature, quorum or link, or a proposal id that is not its document's digest.</summary>
    public const int VerificationFailed = 7;

    /// <summary>The help text's table of exit codes.</summary>
    public const string Help = """
        Exit codes:
          0  ok
          1  any other failure
          2  usage: bad arguments or input file (also 400 Malformed, 413, 415)
          3  not found (404)
          4  conflict: 409 ChainMismatch/ScopeConflict/SignerSetChanged/DuplicateApproval, 410 ProposalExpired, 422 rejections;
             approve refusing a proposal stopped since its base; propose --rebase refusing (NotStale, ChangesNoLongerApply)
          5  auth: 401 Unauthorized, 403 Forbidden
          6  unreachable or not ready: connection refused, timeout, 503, 429 after retries
          7  verification failed
        """;

    /// <summary>The exit code for a client error.</summary>
    public static int Of(RegistryClientException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Code switch
        {
            RegistryClientErrorCodes.Unreachable or RegistryClientErrorCodes.Lagged => Unreachable,
            RegistryClientErrorCodes.ProposalMismatch or RegistryClientErrorCodes.Diverged => VerificationFailed,
            RegistryClientErrorCodes.InvalidResponse => Failure,
            _ => exception.ErrorCode switch
            {
                RegistryErrorCode.Malformed or RegistryErrorCode.PayloadTooLarge or RegistryErrorCode.UnsupportedMediaType or RegistryErrorCode.MethodNotAllowed => Usage,
                RegistryErrorCode.NotFound => NotFound,
                RegistryErrorCode.Unauthorized or RegistryErrorCode.Forbidden => Auth,
                RegistryErrorCode.Busy or RegistryErrorCode.NotReady or RegistryErrorCode.ReadOnly => Unreachable,
                null => Failure,
                _ => Conflict,
            },
        };
    }
}
