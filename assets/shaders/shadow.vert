#version 150
// Shadow-map pass: depth only. Same position expression as station.vert, so the depths match.
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
void main() {
  gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
}
