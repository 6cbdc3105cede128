"""Printed posters and leaflets that tell prisoners how to report, per establishment and
language: the phone line and its language key, where the kiosks are, that a report can be
anonymous, what happens next, and other help. See docs/posters.md."""
