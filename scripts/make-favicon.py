"""Draw assets/favicon.ico from the shapes of assets/logo.svg (Pillow cannot read SVG).
Run after changing the logo: .venv/bin/python scripts/make-favicon.py"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
TEAL, WHITE, FOLD = "#12a594", "#ffffff", "#b8eae0"


def draw() -> Image.Image:
    s = SIZE / 64  # the logo's viewBox is 64 units wide
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=14 * s, fill=TEAL)
    pen.rounded_rectangle((17 * s, 12 * s, 47 * s, 53 * s), radius=3 * s, fill=WHITE)
    pen.polygon([(37 * s, 12 * s), (47 * s, 12 * s), (47 * s, 22 * s)], fill=TEAL)  # the cut corner
    pen.polygon([(37 * s, 12 * s), (37 * s, 22 * s), (47 * s, 22 * s)], fill=FOLD)
    pen.ellipse((27 * s, 29 * s, 37 * s, 39 * s), fill=TEAL)
    pen.rounded_rectangle((30 * s, 36 * s, 34 * s, 45 * s), radius=1.5 * s, fill=TEAL)
    return image


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "assets" / "favicon.ico"
    draw().save(target, sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    print(target)
