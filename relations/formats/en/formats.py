# English dates as the office writes them ("09 Oct 2025"); Arabic and Russian use Django's
# formats for those languages (Arabic numbers: see ../ar). Templates use |date (DATE_FORMAT),
# never a fixed pattern, so every language gets its own.
DATE_FORMAT = "d M Y"
