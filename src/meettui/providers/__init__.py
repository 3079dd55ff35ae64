"""Provider clients. Nothing here may import textual."""
