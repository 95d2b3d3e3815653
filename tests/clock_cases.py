"""Working-hours cases shared by the clock tests and the reader's browser test."""

# The walkthrough fixture: 09:00-17:00 Monday to Friday (playbook.yml); closed for the winter
# break (23 December to 2 January, every year) and the national day (4 July, observed: in 2026 a
# Saturday, taken on Friday 3 July; in 2027 a Sunday, taken on Monday 5 July).
# arrival (date, HH:MM), working minutes -> due, as the page shows it
CASES = [
    ("2026-12-01", "10:00", 120, "Tue 1 Dec 2026, 12:00"),  # within one day
    ("2026-12-01", "15:00", 120, "Tue 1 Dec 2026, 17:00"),  # ends at closing time: due then
    ("2026-12-01", "16:30", 120, "Wed 2 Dec 2026, 10:30"),  # runs over into the next morning
    ("2026-12-02", "07:00", 30, "Wed 2 Dec 2026, 09:30"),  # before opening: starts at 09:00
    ("2026-12-02", "18:00", 30, "Thu 3 Dec 2026, 09:30"),  # after closing: starts next morning
    ("2026-12-04", "16:00", 120, "Mon 7 Dec 2026, 10:00"),  # a Friday: the weekend does not count
    ("2026-12-05", "11:00", 60, "Mon 7 Dec 2026, 10:00"),  # arrives on a Saturday
    ("2026-12-03", "12:00", 960, "Mon 7 Dec 2026, 12:00"),  # two working days
    ("2026-12-22", "15:30", 120, "Mon 4 Jan 2027, 09:30"),  # the day before the winter break
    ("2026-12-28", "10:00", 60, "Mon 4 Jan 2027, 10:00"),  # arrives during the break
    ("2026-07-02", "16:00", 120, "Mon 6 Jul 2026, 10:00"),  # Friday 3 July 2026 observed
    ("2027-07-02", "16:30", 120, "Tue 6 Jul 2027, 10:30"),  # Monday 5 July 2027 observed
    ("2027-07-04", "12:00", 60, "Tue 6 Jul 2027, 10:00"),  # on the Sunday holiday itself
]
