import desk.ui  # tach-ignore
