"""Password rules Django does not ship: complexity, as 等级保护 asks."""

import string

from django.core.exceptions import ValidationError

KINDS = (
    ("大写字母", lambda c: c.isascii() and c.isupper()),
    ("小写字母", lambda c: c.isascii() and c.islower()),
    ("数字", lambda c: c in string.digits),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class ComplexityValidator:
    """At least `kinds` of the four kinds of character: capitals, small letters, digits, symbols."""

    def __init__(self, kinds: int = 3) -> None:
        self.kinds = kinds

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for _, test in KINDS if any(test(c) for c in password))
        if found < self.kinds:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少 %(kinds)s 种。",
                code="password_too_simple",
                params={"kinds": self.kinds},
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.kinds} 种。"
