"""Animated posts: the flower grows (or the camera pushes in), the message appears, the post holds.

    data = animate_post(spec)                 # MP4 bytes, in memory (the web page)
    written = write_animations(specs, folder) # NAME.mp4 beside each NAME.jpg (make --animate, batch)
"""

from generator.motion.clip import animate_post
from generator.motion.files import WrittenVideo, write_animation, write_animations

__all__ = ["animate_post", "write_animation", "write_animations", "WrittenVideo"]
