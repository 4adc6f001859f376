"""The demo community's published log-in (no Django imports: the launcher prints it)."""

DEMO_PASSWORD = "parecon-demo"
FACILITATOR_EMAIL = "ada@demo.parecon.org"
