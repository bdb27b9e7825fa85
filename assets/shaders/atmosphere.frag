#version 150
// Additive shell a little above the ground: bright near the limb on the day side; on the night side
// a faint green airglow line (the 557.7 nm oxygen layer seen in every ISS night photo) keeps the
// Earth's outline visible against space.
uniform vec3 sun_dir;
uniform vec3 cam_pos;
in vec3 v_nworld;
in vec3 v_pworld;
in vec2 v_uv;
out vec4 frag;
void main() {
  vec3 N = normalize(v_nworld);
  vec3 V = normalize(cam_pos - v_pworld);
  float g1 = 1.0 - abs(dot(N, V));
  float g2 = g1 * g1, g4 = g2 * g2;                      // powers by multiplication: no exp2/log2 per pixel
  float glow = g4 * g1 * 1.6;                            // (1 - |N.V|)^5
  float lit = smoothstep(-0.30, 0.25, dot(N, sun_dir));
  vec3 airglow = vec3(0.10, 0.28, 0.14) * (g4 * g4) * 0.5 * (1.0 - lit);   // ^8
  frag = vec4(vec3(0.32, 0.58, 1.0) * glow * lit + airglow, 1.0);
}
