import desk.ui.views  # tach-ignore(outside every module)
