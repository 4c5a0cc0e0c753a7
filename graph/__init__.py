"""kefu's conversation engine: a LangGraph state machine with explicit dialogue state tracking."""
