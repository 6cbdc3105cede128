"""Verb-first functions over the models. They take a Session; the caller owns the transaction."""
