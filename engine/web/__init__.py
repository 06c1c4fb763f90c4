"""`fsl serve`: the engine's local web interface (Flask, imported only by that command)."""
