#!/usr/bin/env python3
"""Draws Walkbook's icon as SVG: a walk-up building whose doors are ticked off
floor by floor, with one still open. `maskable` pulls the drawing into the
safe zone (the inner 80%) and fills the whole square with the background."""
import sys

BACKGROUND = "#0f5c4a"
BUILDING = "#f4efe3"
DONE = "#2fa36b"
OPEN = "#f2a516"
INK = "#0f3d33"

def icon(maskable: bool) -> str:
    scale = 0.72 if maskable else 0.9
    offset = (1 - scale) * 256
    parts = []
    if maskable:
        parts.append(f'<rect width="512" height="512" fill="{BACKGROUND}"/>')
    else:
        parts.append(f'<rect x="16" y="16" width="480" height="480" rx="104" fill="{BACKGROUND}"/>')
    g = [f'<g transform="translate({offset:.1f} {offset:.1f}) scale({scale})">']
    # The building, with a roof line and a door at the bottom.
    g.append(f'<rect x="126" y="70" width="260" height="380" rx="14" fill="{BUILDING}"/>')
    g.append(f'<rect x="110" y="58" width="292" height="26" rx="8" fill="{BUILDING}"/>')
    # Four floors, three doors each: ticked green, one amber "still open".
    for floor in range(4):
        for door in range(3):
            x = 152 + door * 76
            y = 104 + floor * 72
            still_open = floor == 0 and door == 2
            fill = OPEN if still_open else DONE
            g.append(f'<rect x="{x}" y="{y}" width="56" height="52" rx="8" fill="{fill}"/>')
            if not still_open:
                g.append(
                    f'<path d="M{x+14} {y+27} l10 10 l19 -21" fill="none" stroke="{BUILDING}" '
                    'stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>'
                )
    g.append(f'<rect x="226" y="396" width="60" height="54" rx="6" fill="{INK}"/>')
    g.append("</g>")
    body = "".join(parts + g)
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">{body}</svg>\n'

if __name__ == "__main__":
    sys.stdout.write(icon(maskable=len(sys.argv) > 1 and sys.argv[1] == "maskable"))
