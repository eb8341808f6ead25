def poll(result, waiter, t, stop):
    while not result.ready():  # [busy-wait]
        ...
    while waiter.running:  # [busy-wait]
        continue
    while t.is_alive() and not stop.is_set():  # [busy-wait]
        pass
