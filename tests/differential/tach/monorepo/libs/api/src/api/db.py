from corp.billing import invoice
