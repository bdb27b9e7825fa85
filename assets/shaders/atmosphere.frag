#version 150
// Additive shell a little above the ground: bright only near the limb and on the day side.
uniform vec3 sun_dir;
uniform vec3 cam_pos;
in vec3 v_nworld;
in vec3 v_pworld;
in vec2 v_uv;
out vec4 frag;
void main() {
  vec3 N = normalize(v_nworld);
  vec3 V = normalize(cam_pos - v_pworld);
  float glow = pow(1.0 - abs(dot(N, V)), 5.0) * 1.6;
  float lit = smoothstep(-0.30, 0.25, dot(N, sun_dir));
  frag = vec4(vec3(0.32, 0.58, 1.0) * glow * lit, 1.0);
}
