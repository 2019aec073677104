"""The full-screen wizard (Textual). Everything below this package may import Textual."""
