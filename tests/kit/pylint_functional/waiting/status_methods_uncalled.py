def countdown(n, out, stop, threads):
    for i in range(n, 0, -1):
        if stop.is_set:  # [method-not-called]
            break
        out(i)
    return [t for t in threads if t.is_alive]  # [method-not-called]
