def issue(): pass


def revoke(): pass
