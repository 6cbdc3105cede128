"""Text to audio with pyttsx3 over espeak-ng, cached on disk."""
