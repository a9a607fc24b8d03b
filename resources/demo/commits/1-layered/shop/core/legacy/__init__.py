"""Code kept until the reporting rewrite."""
