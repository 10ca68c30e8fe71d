"""Mail and diffs: git's diff text, diffstat, format-patch mails, incoming
patches, and the pure builders of a series and of a split."""
