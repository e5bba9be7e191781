from django.core.management.base import BaseCommand

from disclosures.fonts import fonts_build


class Command(BaseCommand):
    help = "预先裁剪 PDF 所用的中文字体（GB2312 字符集），使 PDF 生成更快。已存在则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="重新生成已有的字体文件。")

    def handle(self, *args, force: bool = False, **options):
        built = fonts_build(force=force)
        for path in built:
            self.stdout.write(f"已生成 {path}")
        if not built:
            self.stdout.write("字体已就绪。")
