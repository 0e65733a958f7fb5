// Registers every op family's GPU lowering and shaders (each file registers itself).
import "./geometry.js";
import "./color.js";
import "./convert.js";
import "./host.js";
