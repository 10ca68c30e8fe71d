"""Mail archives walked from where the last walk stopped: public-inbox v2
inboxes, maildirs and mboxes (sources.py), their messages sorted into
patches, covers and replies (sift.py), the patches to review chosen
(select.py), and the position kept between runs (state.py)."""
