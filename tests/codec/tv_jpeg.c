/* torchvision 0.28's JPEG calls (torchvision/csrc/io/image/cpu/encode_jpeg.cpp and
 * decode_jpeg.cpp), made against whichever libjpeg this is linked with. make_jpegenc_corpus.py
 * links it with the libjpeg-turbo that torchvision's wheel bundles (torchvision.libs/libjpeg*.so.8)
 * to check that Pillow's encoder and decoder give torchvision's bytes.
 *
 *   tv_jpeg encode WIDTH HEIGHT CHANNELS QUALITY  < pixels (HWC)  > file
 *   tv_jpeg decode                                < file          > "W H C\n" + pixels (HWC)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

static unsigned char *read_all(size_t *n) {
  size_t cap = 1 << 20, len = 0, got;
  unsigned char *buf = malloc(cap);
  while ((got = fread(buf + len, 1, cap - len, stdin)) > 0) {
    len += got;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  *n = len;
  return buf;
}

static int encode(int w, int h, int c, int q) {
  size_t n;
  unsigned char *px = read_all(&n);
  if (n != (size_t)w * h * c) return 3;
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL;
  unsigned long size = 0;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = c;
  cinfo.in_color_space = c == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, q, TRUE);
  jpeg_mem_dest(&cinfo, &out, &size);
  jpeg_start_compress(&cinfo, TRUE);
  unsigned char *row = px;
  while (cinfo.next_scanline < cinfo.image_height) {
    jpeg_write_scanlines(&cinfo, &row, 1);
    row += (size_t)w * c;
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  fwrite(out, 1, size, stdout);
  return 0;
}

static int decode(void) {
  size_t n;
  unsigned char *file = read_all(&n);
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, file, n);
  jpeg_read_header(&cinfo, TRUE);
  /* ImageReadMode.UNCHANGED: libjpeg's default output colour space and DCT method. */
  jpeg_start_decompress(&cinfo);
  int w = cinfo.output_width, h = cinfo.output_height, c = cinfo.output_components;
  unsigned char *px = malloc((size_t)w * h * c);
  unsigned char *row = px;
  while (cinfo.output_scanline < cinfo.output_height) {
    jpeg_read_scanlines(&cinfo, &row, 1);
    row += (size_t)w * c;
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  printf("%d %d %d\n", w, h, c);
  fwrite(px, 1, (size_t)w * h * c, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "encode") == 0) return encode(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  if (argc == 2 && strcmp(argv[1], "decode") == 0) return decode();
  fprintf(stderr, "usage: tv_jpeg encode W H C Q < pixels | tv_jpeg decode < file\n");
  return 2;
}
