import subprocess
import requests
async def load(url):
    page = requests.get(url)  # [blocking-call-in-coroutine]
    name = input()  # [blocking-call-in-coroutine]
    subprocess.run(["ls"])  # [blocking-call-in-coroutine]
    return page, name
