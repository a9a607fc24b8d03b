from corp.payments.cards import charge
