#version 150
// Shadow-map pass: nothing to shade (the depth is all the map keeps; colour writes are off).
out vec4 frag;
void main() {
  frag = vec4(1.0);
}
