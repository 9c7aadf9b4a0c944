"""A stand-in for Colab's ``google.colab`` package, for tests that imitate a Colab runtime."""
