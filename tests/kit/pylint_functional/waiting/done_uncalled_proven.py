class Job:
    def done(self):
        return True
def check():
    job = Job()
    if not job.done:  # [method-not-called]
        return 1
    return 0
