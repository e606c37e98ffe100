using System.Collections.Immutable;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>
/// The writer dropped proposals that can never commit (expired or stale) once their retention had passed. The drop
/// is a fact in the log, decided with the writer's clock and configuration at the time, so replay reproduces it
/// whatever the configuration is then; applying it checks that each proposal is open and indeed cannot commit.
/// </summary>
/// <param name="Dropped">The proposals, each with why it could no longer commit (<see cref="ProposalStatus.Expired"/> or <see cref="ProposalStatus.Stale"/>).</param>
/// <param name="DroppedAt">The writer's clock when it decided the drop.</param>
public sealed record ProposalsDropped(ImmutableArray<(Digest Id, ProposalStatus Because)> Dropped, Timestamp DroppedAt) : RegistryEvent;
