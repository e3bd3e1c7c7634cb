// Words shared by the engine and the surfaces for classes and builders found but not built.

/** The reason given for a class that other definitions build (it is analyzed inside them). */
export const PART_OF_ANOTHER = 'a part of another model of the file (analyzed inside it)';
