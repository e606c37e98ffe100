namespace Registry.Core.Machine;

/// <summary>How the state machine answered a command.</summary>
public enum DecisionKind
{
    /// <summary>The command is accepted: append <see cref="Decision{TEvent}.Event"/>, then apply it.</summary>
    Accepted,

    /// <summary>The command was already carried out (an idempotent retry): nothing to append.</summary>
    Unchanged,

    /// <summary>The command is refused: see <see cref="Decision{TEvent}.Rejection"/>; nothing to append.</summary>
    Rejected,
}

/// <summary>The outcome of deciding one command: an event to append, an idempotent no-op, or a named rejection.</summary>
/// <typeparam name="TEvent">The event type the command produces.</typeparam>
public readonly struct Decision<TEvent>
    where TEvent : RegistryEvent
{
    private Decision(DecisionKind kind, TEvent? @event, Rejection? rejection)
    {
        Kind = kind;
        Event = @event;
        Rejection = rejection;
    }

    /// <summary>Which outcome.</summary>
    public DecisionKind Kind { get; }

    /// <summary>The event, when accepted.</summary>
    public TEvent? Event { get; }

    /// <summary>The reason, when rejected.</summary>
    public Rejection? Rejection { get; }

    /// <summary>An accepted command.</summary>
    internal static Decision<TEvent> Accept(TEvent @event) => new(DecisionKind.Accepted, @event, null);

    /// <summary>An idempotent repeat.</summary>
    internal static Decision<TEvent> Unchanged() => new(DecisionKind.Unchanged, null, null);

    /// <summary>A refusal.</summary>
    internal static Decision<TEvent> Reject(RegistryErrorCode code, string detail) => new(DecisionKind.Rejected, null, new Rejection(code, detail));

    /// <summary>A refusal.</summary>
    internal static Decision<TEvent> Reject(Rejection rejection) => new(DecisionKind.Rejected, null, rejection);
}
