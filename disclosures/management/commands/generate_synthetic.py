import re

from django.core.management.base import BaseCommand, CommandError

from disclosures.synthetic import synthetic_generate, synthetic_remove


def year_range(text: str) -> range:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match:
        raise CommandError(f"年度应写成 2018-2022 或 2022，而不是“{text}”。")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise CommandError(f"年度范围 {text} 的结束年早于开始年。")
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "生成合成数据（一个“合成省”的地区、单位和各年度已公开的决算报告），用于容量和性能测试；"
        "--remove 删除全部合成数据。合成数据在网站上标明“合成数据”，不会混入真实地区。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=1000, help="单位数，默认 1000")
        parser.add_argument("--years", default="2018-2022", help="年度范围，默认 2018-2022")
        parser.add_argument(
            "--seed", type=int, default=2022, help="随机种子（同一种子生成相同数据）"
        )
        parser.add_argument("--remove", action="store_true", help="删除全部合成数据")

    def handle(self, *, departments, years, seed, remove, verbosity, **options):
        if remove:
            counts = synthetic_remove()
            self.stdout.write("已删除合成数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
            return
        if departments < 1:
            raise CommandError("单位数至少为 1。")
        span = year_range(years)

        def progress(done: int, total: int, seconds: float) -> None:
            if verbosity:
                rate = done / seconds if seconds else 0
                self.stdout.write(
                    f"  {done:,}/{total:,} 个单位  {seconds:6.1f} 秒  每秒 {rate:,.0f} 个单位"
                    f"（{rate * len(span):,.0f} 份报告）"
                )

        try:
            made = synthetic_generate(
                departments=departments, years=span, seed=seed, progress=progress
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if made.code_lists_copied:
            copied = "、".join(map(str, made.code_lists_copied))
            self.stdout.write(f"以下年度没有科目表，已从相邻年度复制（标为合成数据）：{copied}")
        rate = made.reports / made.seconds if made.seconds else 0
        self.stdout.write(
            f"已生成合成数据：地区 {made.regions} 个，新单位 {made.departments:,} 个，"
            f"新报告 {made.reports:,} 份，数据行 {made.rows:,} 行，"
            f"用时 {made.seconds:.1f} 秒（每秒 {rate:,.0f} 份报告）。"
        )
