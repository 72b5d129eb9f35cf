"""Service-task connectors: `base` (Connector, ConnectorRequest, RetryableError,
TerminalError), `registry` (register, get, ids, using, call), one folder per implementation."""
