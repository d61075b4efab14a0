# Django's Arabic formats group no digits and use "," as the decimal point; the office reads
# Latin digits grouped in thousands with the Arabic separators: 12٬345 and 3٫5.
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
NUMBER_GROUPING = 3
# The week starts on Saturday in Qatar.
FIRST_DAY_OF_WEEK = 6
