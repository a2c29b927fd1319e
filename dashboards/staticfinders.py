"""Serve single files out of node_modules, not whole package folders.

ECharts' ``dist`` folder holds ~100 MB once collected (every build, source maps, compressed
copies); the pages need one file. This finder offers only the files named here, under the
static path shown, from where ``npm ci`` put them (no copy is committed, no CDN).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path → file under node_modules
FILES = {"echarts/echarts.min.js": "echarts/dist/echarts.min.js"}


class NodeModulesFileFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        self.root = Path(settings.BASE_DIR) / "node_modules"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        source = FILES.get(path)
        if source is None or not (self.root / source).is_file():
            return []
        found = str(self.root / source)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for path, source in FILES.items():
            folder = (self.root / source).parent
            if not (self.root / source).is_file():
                continue
            storage = FileSystemStorage(location=str(folder))
            storage.prefix = str(Path(path).parent)
            yield Path(source).name, storage
