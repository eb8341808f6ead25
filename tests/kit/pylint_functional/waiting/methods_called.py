class Job:
    def __init__(self):
        self.done = False
    @property
    def ready(self):
        return self.done
def check(job, stop, threads):
    if stop.is_set():
        return [t for t in threads if t.is_alive()]
    if job.done or job.ready:
        return []
    return None
