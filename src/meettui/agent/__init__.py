"""A front end for AI agents: `meettui mcp`, a Model Context Protocol server over stdio.

Imported only when `meettui mcp` runs (the SDK is not cheap to import). Named `agent`,
not `mcp`, so it never shadows the SDK's own package.
"""
