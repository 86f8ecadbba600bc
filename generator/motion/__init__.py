"""Animated posts: the flower grows (or the camera pushes in), the message appears, the post holds.

    data = animate_post(spec)                 # MP4 bytes, in memory (the web page)
    quick = animate_preview(spec)             # the same clip, small, in a second or two
    written = write_animations(specs, folder) # NAME.mp4 beside each NAME.jpg (make --animate, batch)
"""

from generator.motion.clip import animate_post, animate_preview
from generator.motion.files import WrittenVideo, write_animation, write_animations

__all__ = ["animate_post", "animate_preview", "write_animation", "write_animations", "WrittenVideo"]
