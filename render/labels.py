"""Screen-space labels, leader lines, the direction-of-flight arrow and the scale bar (a 2D layer).

Drawn in pixels over the 3D view (render2d), so the text is crisp and the same size from every camera.
Where each label goes is decided by render/screenspace.py (pure logic): its anchor is a visible pixel on
its own segment, its box keeps clear of the other labels, of the title / HUD / caption zones (KEEPOUT)
and of the legend. Label mode: 0 none, 1 the two segments, 2 segments and modules.
"""
from __future__ import annotations

import numpy as np
from panda3d.core import CardMaker, LineSegs, NodePath, TextNode, TransparencyAttrib

from render import screenspace as ss
from render.timeline import SEGMENT_NAMES  # noqa: F401  (one home; re-exported)
# Russian = orange, US = cyan: the colours of their ground tracks and of the Russian segment's trail
SEGMENT_RGBA = {"ROS": (1.0, 0.62, 0.25, 1.0), "USOS": (0.45, 0.85, 1.0, 1.0)}
MODULE_RGBA = {"ROS": (1.0, 0.85, 0.7, 1.0), "USOS": (0.8, 0.93, 1.0, 1.0)}
MODULE_KINDS = ("module", "node", "vehicle", "airlock")
SEGMENT_TEXT_H = 1 / 26      # text height as a fraction of the image height (28 px at 720p)
MODULE_TEXT_H = 1 / 42
MAX_MODULE_LABELS = 12
FAR_M = 2e5                  # beyond this from the station: no arrow or scale bar (the far view)
# The app lays the segment labels out every other frame (~3 ms of Python at 720p); in between each label
# and its leader move with their anchor point, re-projected from the segment (no lag: the leader still ends
# on the same point of the hull). A jump larger than this (camera switch, scrub) lays them out at once.
FOLLOW_MAX_PX = 40.0


def display_names(model) -> dict[str, str]:
    """{element id: on-screen name} from the station file (`label`, else `name`); ids otherwise."""
    spec = getattr(model, "spec", None)
    elements = getattr(spec, "elements", None) or {}
    return {eid: getattr(e, "display_name", eid) for eid, e in elements.items()}


class ScreenLabels:
    def __init__(self, base, model, com_ssacs: dict, body_names, font, size_of):
        """size_of: () -> (w, h) of the image the 3D view fills (the window or the offscreen buffer)."""
        self.size_of = size_of
        self.root = base.render2d.attach_new_node("screen_labels")
        self.root.set_bin("background", 10)            # under the HUD, help and presenter text
        self.root.set_depth_test(False); self.root.set_depth_write(False)
        self.els = ss.Elements({n: model.segments[n] for n in body_names if n in model.segments}, com_ssacs)
        self.font, self.mode = font, 1
        self.keepout = ss.KEEPOUT
        self.legend_on = True
        names = display_names(model)
        self.segments = {n: self._text(SEGMENT_NAMES.get(n, n), SEGMENT_RGBA.get(n, (1, 1, 1, 1)))
                         for n in body_names if n in model.segments}
        self.modules = {r: self._text(names.get(self.els.eid[r], self.els.eid[r]),
                                      MODULE_RGBA.get(self.els.body[r], (1, 1, 1, 1)))
                        for r in range(len(self.els.eid)) if self.els.kind[r] in MODULE_KINDS}
        self.arrow_text = self._text("direction of flight", (1, 1, 1, 1))
        self.scale_text = self._text("", (1, 1, 1, 1))
        self.lines = self.root.attach_new_node("leaders")
        cm = CardMaker("legend_panel"); cm.set_frame(0, 1, -1, 0)     # unit card, top-left at its origin
        self.panel = self.root.attach_new_node(cm.generate())
        self.panel.set_color(0, 0, 0, 0.5); self.panel.set_transparency(TransparencyAttrib.M_alpha)
        self.panel.set_bin("background", 9)            # under the arrow and the bar (on white modules too)
        self.panel.hide()
        self.placed: dict[str, tuple] = {}     # label key -> (anchor px, box, slot, element id): tests read it
        self._prev: dict[str, tuple] = {}
        self._key = None
        self._cards: dict[tuple, tuple] = {}
        self._follow_pts: dict[str, tuple] = {}     # label key -> (body, (3,) anchor point in the body frame)
        self._leader_np: dict[str, NodePath] = {}
        self._layout_state, self._followed = None, False

    def _text(self, text: str, rgba) -> NodePath:
        tn = TextNode(f"label_{text}")
        tn.set_font(self.font); tn.set_text(text); tn.set_align(TextNode.A_left)
        tn.set_text_color(rgba); tn.set_shadow(0.05, 0.05); tn.set_shadow_color(0, 0, 0, 1)
        tn.set_card_color(0, 0, 0, 0.55); tn.set_card_as_margin(0.25, 0.25, 0.12, 0.08)
        np_ = self.root.attach_new_node(tn)
        np_.hide()
        return np_

    def set_mode(self, mode: int) -> None:
        """Also forgets last frame's choices: an export starts from the same state every time (record
        sets the mode first), so two exports of the same frames are identical."""
        self.mode = int(mode) % 3
        self._prev, self._key = {}, None
        (self.root.show if self.mode else self.root.hide)()

    # ------------------------------------------------------------ per frame
    def update(self, snap, pose, exact: bool = True) -> None:
        """exact: lay the labels out on this frame (offscreen output, deterministic); False (the app):
        every other frame they follow their anchors instead (`_follow`)."""
        if not self.mode or self.root.is_hidden():
            return
        w, h = self.size_of()
        if w <= 0 or h <= 0:
            return
        gone = getattr(self, "gone", frozenset())     # re-entered segments (render/reentry_marks.py): no label
        key = (float(snap.t_s), tuple(np.asarray(pose.eye_m, float)), tuple(np.asarray(pose.target_m, float)),
               float(pose.fov_deg), w, h, self.mode, self.legend_on, gone)
        if key == self._key:          # paused, same view: the labels are where they were
            return
        self._key = key
        state = (w, h, self.mode, self.legend_on, gone)
        if not exact and self._follow(snap, pose, (w, h), state):
            return
        self._layout_state, self._follow_pts, self._leader_np = state, {}, {}
        self.root.set_pos(-1, 0, 1)
        self.root.set_scale(2.0 / w, 1.0, 2.0 / h)
        proj = ss.Projector.of(pose, (w, h))
        for np_ in (*self.segments.values(), *self.modules.values(), self.arrow_text, self.scale_text, self.panel):
            np_.hide()
        segs = LineSegs("legend_lines"); segs.set_thickness(2.0)
        self.old_lines, self.lines = self.lines, self.root.attach_new_node("leaders")
        taken = ss.keepout_px((w, h), self.keepout)
        near = float(np.min(np.linalg.norm(snap.pos_scene_m - proj.eye, axis=1))) < FAR_M
        if near and self.legend_on:
            taken.append(self._legend(segs, proj, snap, pose, (w, h)))
        self.placed = {}
        boxes = {n: ss.segment_bbox(proj, self.els, n, snap) for n in self.segments}
        for name, np_ in self.segments.items():
            if name in gone:
                continue
            prev = self._prev.get(name)
            a = ss.segment_anchor(proj, self.els, name, snap, prefer=prev[3] if prev else None, bbox=boxes[name])
            if a is not None:
                avoid = [b for n, b in boxes.items() if n != name and b is not None]
                self._place(name, np_, a.px, a.eid, SEGMENT_TEXT_H * h, taken, segs, (w, h), avoid,
                            others=[((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in avoid])
                if name in self.placed and a.point_body is not None:
                    self._follow_pts[name] = (name, a.point_body)
        if self.mode == 2:
            self._module_labels(proj, snap, taken, segs, (w, h), gone)
        self._prev = self.placed
        self.old_lines.remove_node()
        self.lines.attach_new_node(segs.create())

    def _follow(self, snap, pose, size, state) -> bool:
        """Move each segment label and its leader with its anchor point (re-projected) instead of a new
        layout: every other frame, same window, mode 1 (module labels are laid out every frame), every
        anchor still in front of the camera and moved by under FOLLOW_MAX_PX. True if it did."""
        if self._followed or state != self._layout_state or self.mode != 1 or not self._follow_pts:
            self._followed = False
            return False
        proj = ss.Projector.of(pose, size)
        moves = {}
        for key, (body, p_body) in self._follow_pts.items():
            if body not in snap.body_names or key not in self.placed:
                return False
            px, z = proj.project(ss.to_scene(np.asarray(p_body, float)[None], body, snap))
            d = px[0] - self.placed[key][0]
            if z[0] <= 0.5 or float(np.abs(d).max()) > FOLLOW_MAX_PX:
                return False
            moves[key] = (px[0], d)
        for key, (px, d) in moves.items():
            for np_ in (self.segments[key], self._leader_np[key]):
                np_.set_pos(np_.get_x() + float(d[0]), 0, np_.get_z() - float(d[1]))
            _, (x0, y0, x1, y1), slot, eid = self.placed[key]
            self.placed[key] = (px, (x0 + d[0], y0 + d[1], x1 + d[0], y1 + d[1]), slot, eid)
        self._prev, self._followed = self.placed, True
        return True

    def _module_labels(self, proj, snap, taken, segs, size, gone=frozenset()) -> None:
        rows = [r for r in self.modules if self.els.body[r] not in gone]
        anchors = ss.element_anchors(proj, self.els, rows, snap)
        big = sorted(anchors, key=lambda r: -self.els.thick_m[r])[:MAX_MODULE_LABELS]
        for r in big:
            self._place(f"el:{self.els.eid[r]}", self.modules[r], anchors[r], self.els.eid[r],
                        MODULE_TEXT_H * size[1], taken, segs, size, (), reach=(0.04, 0.08, 0.13, 0.2))

    def _card(self, np_) -> tuple:
        """The text's card (l, r, b, t) in text units; cached per text (TextNode regenerates to tell)."""
        tn = np_.node()
        key = (np_.get_key(), tn.get_text())      # (a wrapper's id() changes on every .node() call)
        if key not in self._cards:
            self._cards[key] = tuple(tn.get_card_actual())
        return self._cards[key]

    def _place(self, key, np_, anchor_px, eid, text_h, taken, segs, size, avoid, reach=None, others=()) -> None:
        tn = np_.node()
        l, r, b, t = self._card(np_)
        s = text_h / max(tn.get_line_height(), 1e-6)
        prev = self._prev.get(key)
        kw = {"reach": reach} if reach else {}
        box = ss.place_label(anchor_px, ((r - l) * s, (t - b) * s), taken, size, avoid,
                             prefer_slot=prev[2] if prev else None, others_px=others, **kw)
        if box is None:
            return
        x0, y0, x1, y1, slot = box
        np_.set_scale(s)
        np_.set_pos(x0 - l * s, 0, -(y0 + t * s))
        np_.show()
        taken.append((x0, y0, x1, y1))
        end = ss.leader_end((x0, y0, x1, y1), anchor_px)
        leader = LineSegs(f"leader_{key}"); leader.set_thickness(2.0)      # its own node: `_follow` moves it
        leader.set_color(tn.get_text_color())
        leader.move_to(float(anchor_px[0]), 0, -float(anchor_px[1])); leader.draw_to(float(end[0]), 0, -float(end[1]))
        self._dot(leader, anchor_px, 3.0)
        self._leader_np[key] = self.lines.attach_new_node(leader.create())
        self.placed[key] = (np.asarray(anchor_px, float), (x0, y0, x1, y1), slot, eid)

    @staticmethod
    def _dot(segs, p, r) -> None:
        """A small filled square at the anchor (where the label points)."""
        for dy in np.linspace(-r, r, 4):
            segs.move_to(float(p[0] - r), 0, -float(p[1] + dy)); segs.draw_to(float(p[0] + r), 0, -float(p[1] + dy))

    def _legend(self, segs, proj, snap, pose, size) -> tuple:
        """Direction-of-flight arrow and a scale bar (metres at the distance of what the camera looks at),
        in the legend box above the caption band; returns the box (pixels)."""
        w, h = size
        x0, y0, x1, y1 = (ss.LEGEND_BOX[0] * w, ss.LEGEND_BOX[1] * h, ss.LEGEND_BOX[2] * w, ss.LEGEND_BOX[3] * h)
        text_h = MODULE_TEXT_H * h
        target = np.asarray(pose.target_m, float)
        # flight direction: the scene's +x is the US segment's LVLH x, along the velocity
        d, across = ss.flight_direction_px(proj, target, np.array([1.0, 0.0, 0.0]))
        c, L = np.array([x0 + 0.09 * h, y0 + 0.06 * h]), 0.045 * h
        segs.set_color(1, 1, 1, 1)
        if across > 0.2:
            tip, tail = c + d * L, c - d * L
            side = np.array([-d[1], d[0]])
            segs.move_to(tail[0], 0, -tail[1]); segs.draw_to(tip[0], 0, -tip[1])
            for sgn in (1, -1):
                wing = tip - d * 0.4 * L + sgn * side * 0.3 * L
                segs.move_to(tip[0], 0, -tip[1]); segs.draw_to(wing[0], 0, -wing[1])
            label = "direction of flight"
        else:   # along the line of sight: a dot (towards the viewer) or a cross (away)
            toward = float(np.dot([1.0, 0.0, 0.0], proj.fwd)) < 0
            self._dot(segs, c, 4.0) if toward else None
            for sgn in (1, -1):
                segs.move_to(c[0] - 0.5 * L, 0, -(c[1] - sgn * 0.5 * L)); segs.draw_to(c[0] + 0.5 * L, 0, -(c[1] + sgn * 0.5 * L))
            label = "flight: towards you" if toward else "flight: away from you"
        self._small_text(self.arrow_text, label, c[0] + 0.065 * h, c[1], text_h)
        ppm = proj.px_per_m(float(np.dot(target - proj.eye, proj.fwd)))
        metres = ss.nice_length_m(ppm, 0.12 * w)
        bar = metres * ppm
        yb, xb = y0 + 0.15 * h, x0 + 0.03 * h
        segs.move_to(xb, 0, -yb); segs.draw_to(xb + bar, 0, -yb)
        for x in (xb, xb + bar):
            segs.move_to(x, 0, -(yb - 0.012 * h)); segs.draw_to(x, 0, -(yb + 0.012 * h))
        self._small_text(self.scale_text, ss.length_text(metres), xb + bar + 0.015 * h, yb, text_h)
        tx = max(self._right(self.arrow_text), self._right(self.scale_text)) + 0.015 * h
        box = (x0, y0, tx, y0 + 0.2 * h)
        self.panel.set_pos(x0, 0, -y0); self.panel.set_scale(tx - x0, 1, 0.2 * h)
        self.panel.show()
        return box

    def _right(self, np_) -> float:
        return np_.get_x() + self._card(np_)[1] * np_.get_sx()

    def _small_text(self, np_, text, x, y_mid, text_h) -> None:
        tn = np_.node()
        if tn.get_text() != text:
            tn.set_text(text)
        s = text_h / max(tn.get_line_height(), 1e-6)
        l, r, b, t = self._card(np_)
        np_.set_scale(s)
        np_.set_pos(x - l * s, 0, -(y_mid + (t + b) / 2 * s))
        np_.show()
