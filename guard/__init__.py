"""What stands between the internet and the public forms."""
