"""What pages, the command line and tests share: the one upload path (uploads: check_upload → commit_upload) and the
one read model (readings: every reading of a month, from one state of the store, under one plan)."""
